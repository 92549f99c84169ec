from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("organisations/mine/", views.mine, name="mine"),
    path("organisations/<slug:slug>/", views.detail, name="detail"),
    path("organisations/<slug:slug>/members/", views.members, name="members"),
    path("organisations/<slug:slug>/members/invite/", views.invite, name="invite"),
    path("organisations/<slug:slug>/members/<int:pk>/role/", views.change_role, name="change_role"),
    path("organisations/<slug:slug>/members/<int:pk>/deactivate/", views.deactivate_member, name="deactivate_member"),
    path("organisations/<slug:slug>/members/<int:pk>/reactivate/", views.reactivate_member, name="reactivate_member"),
    path("organisations/<slug:slug>/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("organisations/<slug:slug>/api-keys/", views.api_keys, name="api_keys"),
    path("organisations/<slug:slug>/api-keys/<int:pk>/revoke/", views.revoke_api_key, name="revoke_api_key"),
    path("organisations/<slug:slug>/audit/", views.audit_trail, name="audit"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/edit/", views.edit_group, name="edit_group"),
    path("groups/<int:pk>/delete/", views.delete_group, name="delete_group"),
    path("groups/<int:pk>/members/", views.add_group_member, name="add_group_member"),
    path("groups/<int:pk>/members/<int:org_pk>/remove/", views.remove_group_member, name="remove_group_member"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("platform/organisations/", views.platform_organisations, name="platform_organisations"),
    path("platform/organisations/<slug:slug>/", views.platform_organisation, name="platform_organisation"),
    path("platform/organisations/<slug:slug>/ports/", views.platform_add_port, name="platform_add_port"),
    path("platform/organisations/<slug:slug>/deactivate/", views.platform_set_organisation_active,
         {"active": False}, name="platform_deactivate_organisation"),
    path("platform/organisations/<slug:slug>/reactivate/", views.platform_set_organisation_active,
         {"active": True}, name="platform_reactivate_organisation"),
    path("platform/accounts/", views.platform_accounts, name="platform_accounts"),
    path("platform/accounts/<int:pk>/deactivate/", views.platform_set_account_active,
         {"active": False}, name="platform_deactivate_account"),
    path("platform/accounts/<int:pk>/reactivate/", views.platform_set_account_active,
         {"active": True}, name="platform_reactivate_account"),
]
