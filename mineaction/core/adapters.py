from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join by invitation only: nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False
