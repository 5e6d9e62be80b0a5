from django import template
from django.utils import timezone

from core import dashboard

register = template.Library()


@register.inclusion_tag("admin/dashboard/panels.html", takes_context=True)
def dashboard_panels(context):
    request = context["request"]
    return {"panels": dashboard.panels(request, timezone.localdate()), "request": request}
