from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People arrive by invitation or provisioning: there is no public sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
