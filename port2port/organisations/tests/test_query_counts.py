"""List pages read a fixed number of rows-sets, however long the lists grow (no N+1)."""

import pytest

from port2port.core.permissions import Role
from port2port.organisations import actions


def grow(world, n=6):
    """More organisations, people, keys, groups and ports, all through the actions."""
    for index in range(n):
        organisation = actions.create_organisation(acting_user=world.platform_admin, name=f"Extra port {index}",
                                                   kind="port_authority")
        actions.add_port(acting_user=world.platform_admin, organisation=organisation, locode=f"NLX{'ABCDEFGH'[index]}A",
                         name=f"Extra {index}", latitude=51.0, longitude=4.0)
        person = actions.create_account(acting_user=world.platform_admin, email=f"extra{index}@p2p.test")
        actions.add_member(acting_user=world.platform_admin, organisation=organisation, user=person, role=Role.ANALYST)
        actions.add_member(acting_user=world.platform_admin, organisation=world.org_a, user=person, role=Role.VIEWER)
        actions.add_group_member(world.drugs_group, acting_user=world.admin_a, organisation=organisation)
        actions.create_api_key(acting_user=world.admin_a, organisation=world.org_a, name=f"key {index}")
        actions.create_sharing_group(acting_user=world.admin_a, owner=world.org_a, name=f"Group {index}")


@pytest.mark.parametrize("person, path", [
    ("admin_a", "/organisations/"),
    ("admin_a", "/organisations/port-a/members/"),
    ("admin_a", "/organisations/port-a/api-keys/"),
    ("admin_a", "/groups/"),
    ("admin_a", "/groups/{group}/"),
    ("platform_admin", "/platform/organisations/"),
    ("platform_admin", "/platform/accounts/"),
    ("platform_admin", "/platform/organisations/port-a/"),
])
def test_list_pages_do_not_grow_their_query_count(world, client_for, django_assert_max_num_queries, person, path):
    path = path.format(group=world.drugs_group.pk)
    client = client_for(getattr(world, person))
    with django_assert_max_num_queries(15) as small:
        assert client.get(path).status_code == 200
    grow(world)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200
