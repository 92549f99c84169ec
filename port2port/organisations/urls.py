from django.urls import path

from .views import api_keys, audit_trail, directory, groups, invitations, members, platform

app_name = "organisations"
urlpatterns = [
    path("organisations/", directory.directory, name="directory"),
    path("organisations/mine/", directory.mine, name="mine"),
    path("organisations/<slug:slug>/", directory.detail, name="detail"),
    path("organisations/<slug:slug>/members/", members.members, name="members"),
    path("organisations/<slug:slug>/members/invite/", members.invite, name="invite"),
    path("organisations/<slug:slug>/members/<int:pk>/role/", members.change_role, name="change_role"),
    path("organisations/<slug:slug>/members/<int:pk>/deactivate/", members.deactivate_member, name="deactivate_member"),
    path("organisations/<slug:slug>/members/<int:pk>/reactivate/", members.reactivate_member, name="reactivate_member"),
    path("organisations/<slug:slug>/invitations/<int:pk>/revoke/", members.revoke_invitation, name="revoke_invitation"),
    path("organisations/<slug:slug>/api-keys/", api_keys.api_keys, name="api_keys"),
    path("organisations/<slug:slug>/api-keys/<int:pk>/revoke/", api_keys.revoke_api_key, name="revoke_api_key"),
    path("organisations/<slug:slug>/audit/", audit_trail.audit_trail, name="audit"),
    path("groups/", groups.groups, name="groups"),
    path("groups/<int:pk>/", groups.group, name="group"),
    path("groups/<int:pk>/edit/", groups.edit_group, name="edit_group"),
    path("groups/<int:pk>/delete/", groups.delete_group, name="delete_group"),
    path("groups/<int:pk>/members/", groups.add_group_member, name="add_group_member"),
    path("groups/<int:pk>/members/<int:org_pk>/remove/", groups.remove_group_member, name="remove_group_member"),
    path("invitations/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path("platform/organisations/", platform.platform_organisations, name="platform_organisations"),
    path("platform/organisations/<slug:slug>/", platform.platform_organisation, name="platform_organisation"),
    path("platform/organisations/<slug:slug>/ports/", platform.platform_add_port, name="platform_add_port"),
    path("platform/organisations/<slug:slug>/deactivate/", platform.platform_set_organisation_active,
         {"active": False}, name="platform_deactivate_organisation"),
    path("platform/organisations/<slug:slug>/reactivate/", platform.platform_set_organisation_active,
         {"active": True}, name="platform_reactivate_organisation"),
    path("platform/accounts/", platform.platform_accounts, name="platform_accounts"),
    path("platform/accounts/<int:pk>/deactivate/", platform.platform_set_account_active,
         {"active": False}, name="platform_deactivate_account"),
    path("platform/accounts/<int:pk>/reactivate/", platform.platform_set_account_active,
         {"active": True}, name="platform_reactivate_account"),
]
