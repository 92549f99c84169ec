"""allauth adapter: accounts come only by invitation."""

from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
