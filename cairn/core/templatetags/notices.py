"""{% notice %}: one way to draw a status notice (a job that failed, likely duplicates,
a record archived)."""

from typing import Any

from django import template
from django.template.base import NodeList, Parser, Token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


class NoticeNode(template.Node):
    def __init__(self, nodelist: NodeList, kwargs: dict[str, Any]) -> None:
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context: template.Context) -> SafeString:
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        # Both are template output, escaped where they had to be, and marked safe.
        values["content"] = self.nodelist.render(context)
        return render_to_string("includes/notice.html", values)


@register.tag
def notice(parser: Parser, token: Token) -> NoticeNode:
    """{% notice title="…" alert=True id="…" %}the body{% endnotice %}

    Drawn by includes/notice.html. With a title, in the error summary's style: a box with a
    heading, then what happened and what to do. Without, one line (`kind`: warning, error
    or info) drawn as the page's messages are. `alert`: announced at once (a notice that
    stops the form, as likely duplicates do); leave it out inside a live status region.
    """
    bits = token.split_contents()[1:]
    kwargs = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("notice takes only name=value arguments.")
    nodelist = parser.parse(("endnotice",))
    parser.delete_first_token()
    return NoticeNode(nodelist, kwargs)
