import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from courses import step_cache

register = template.Library()

BUTTON_LABEL = re.compile(r"\[\[(.+?)\]\]")


@register.filter(needs_autoescape=True)
def button_labels(text, autoescape=True):
    """Show an exact button label, written [[Volgende]] by the author, as a button shape.

    Easy-language guidance: show the button the learner must press, with its exact label.
    """
    escaped = conditional_escape(text) if autoescape else text
    return mark_safe(  # noqa: S308 - every piece is escaped above or by format_html
        BUTTON_LABEL.sub(
            # group(1) is already escaped: wrap it, do not escape it twice.
            lambda match: f'<span class="button-label">{match.group(1)}</span>',
            str(escaped),
        )
    )


@register.filter
def at(sequence, index):
    """``answer|at:0`` – the item at a position, or None when there is none."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None


@register.simple_tag(takes_context=True)
def step_parts(context, page, number, step):
    """``{% step_parts page step_number step as parts %}``: the step's blocks in order, what
    every learner sees alike from the shared cache (courses/step_cache.py)."""
    return step_cache.step_parts(context.get("request"), page, number, step, context.flatten())
