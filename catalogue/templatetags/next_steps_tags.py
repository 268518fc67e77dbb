""" "Verder leren" on pages of other apps (module completion, /mijn/), without them importing
catalogue: their templates load this tag."""

from django import template

from catalogue.next_steps import recommendation_block

register = template.Library()


@register.inclusion_tag("catalogue/_recommendations.html", takes_context=True)
def next_steps_for(context, competences, level=None):
    return {
        "next_steps": recommendation_block(
            context["request"], competences=competences, level=level
        ),
        "request": context["request"],
    }
