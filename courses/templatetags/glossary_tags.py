"""Glossary marking in lesson templates.

{% load glossary_tags %}
{% glossary_marker as glossary %}          {# one per step: remembers what it marked #}
{% glossary_mark glossary %}{% include_block child %}{% endglossary_mark %}
{% glossary_popovers %}                    {# once per page, after the steps #}
"""

from django import template
from django.template.loader import render_to_string

from courses.glossary import glossary_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def glossary_marker(context):
    request = context.get("request")
    return glossary_for_request(request).marker(back=request.path if request else "")


class GlossaryMarkNode(template.Node):
    def __init__(self, nodelist, marker):
        self.nodelist = nodelist
        self.marker = marker

    def render(self, context):
        marker = self.marker.resolve(context)
        html = self.nodelist.render(context)
        return marker.mark(html) if marker is not None else html


@register.tag
def glossary_mark(parser, token):
    """Render the enclosed blocks, then mark the first use of each term in them."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% glossary_mark marker %} takes one argument")
    nodelist = parser.parse(("endglossary_mark",))
    parser.delete_first_token()
    return GlossaryMarkNode(nodelist, parser.compile_filter(bits[1]))


@register.simple_tag(takes_context=True)
def glossary_popovers(context):
    """The dialog and the explanations of every term marked on this page."""
    glossary = glossary_for_request(context.get("request"))
    entries = [(entry, glossary.translation(entry)) for entry in glossary.used.values()]
    return render_to_string(
        "courses/_glossary_popovers.html",
        {"entries": entries, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")},
    )
