"""`{% indicator_panel %}`: the report page's indicators panel, with its own data, so the report
views stay unaware of indicators (the report page includes one template that calls this)."""

from django import template

from port2port.organisations.models import viewer_for

from ..panel import panel_context

register = template.Library()


@register.inclusion_tag("indicators/_panel.html", takes_context=True)
def indicator_panel(context):
    request, report = context["request"], context["report"]
    if not request.user.is_authenticated:
        return {"hidden": True}  # visitors on public pages see the report's story only
    viewer = viewer_for(request.user)
    panel = panel_context(request, viewer, report, can_edit=context.get("can_edit"),
                          can_sight=context.get("can_comment"))
    # The inclusion tag's context is fresh: the CSRF token and the person come along by hand.
    panel.update({"request": request, "csrf_token": context.get("csrf_token"), "user": request.user})
    return panel
