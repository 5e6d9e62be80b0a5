from django import template

from core import dashboard

register = template.Library()


@register.inclusion_tag("admin/dashboard/panels.html", takes_context=True)
def dashboard_panels(context):
    request = context["request"]
    on = dashboard.requested_day(request)
    return {"panels": dashboard.panels(request, on), "on": on, "request": request}
