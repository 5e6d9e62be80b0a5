"""The project's admin site.

Installed as the default site (``config.apps.AdminConfig``), so ``admin.site`` and
``@admin.register`` are this one."""

from __future__ import annotations

from django.contrib import admin
from django.utils.functional import SimpleLazyObject


class AdminSite(admin.AdminSite):
    site_header = "Quy hoạch và đào tạo cán bộ"
    site_title = "Quy hoạch cán bộ"
    index_title = "Quản lý hồ sơ, quy hoạch và đào tạo cán bộ"
    # The wide cadre lists and record pages need the whole screen; the index page lists every model.
    enable_nav_sidebar = False
    # Everything is in the admin: Django's "view site" link would only lead back here.
    site_url = None

    def get_app_list(self, request, app_label=None):
        """Built when a page shows it, once per request. Django puts the list of every model the
        user may see in each page's context for the navigation sidebar (off here), and the index
        asks for it twice: a permission check and a URL per model each time."""
        built = request.__dict__.setdefault("_app_lists", {})
        build = super().get_app_list

        def app_list():
            if app_label not in built:
                built[app_label] = build(request, app_label)
            return built[app_label]

        return SimpleLazyObject(app_list)
