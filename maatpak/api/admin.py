"""API keys in the admin: a municipality administrator creates and revokes the keys of their
own municipality (TenantScopedAdmin scopes the rows and the choices). A new key is shown once,
on the page that follows its creation; afterwards only its prefix is known. Keys are never
edited or deleted: a key that should no longer work is revoked, and its audit trail stays."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from maatpak.accounts.admin_base import TenantScopedAdmin
from maatpak.api.keys import api_key_create, api_key_revoke
from maatpak.api.models import ApiKey

EDITABLE_ON_CREATION = ["name", "organisation", "municipality", "role", "provider", "team"]


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdmin):
    list_display = ["name", "organisation", "municipality", "role", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["municipality", "role"]
    search_fields = ["name", "organisation", "prefix"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return EDITABLE_ON_CREATION
        return [*EDITABLE_ON_CREATION, "prefix", "user", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        created, key = api_key_create(actor=request.user, **{name: data[name] for name in EDITABLE_ON_CREATION})
        for field in ApiKey._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False
        request.maatpak_new_api_key = key

    def response_add(self, request, obj, post_url_continue=None):
        key = getattr(request, "maatpak_new_api_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "api_key": obj, "key": key, "title": _("API key created")}
        return TemplateResponse(request, "admin/api/apikey/created.html", context)

    @admin.action(description=_("Revoke the selected API keys"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(actor=request.user, api_key=api_key)
            revoked += 1
        self.message_user(
            request, ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", revoked) % {"count": revoked}, messages.SUCCESS
        )
