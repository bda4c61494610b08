"""The upload form of "Add or modify users with CSV". The file's rules (size, encoding, columns, rows) are
the import service's: the view calls it and shows its ``file`` errors on this form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: Action (add, modify or delete), First Name, Last Name, Email, Package, Location, "
            "Phone Number, Extension. Only Email is required. UTF-8, at most 20,000 rows and 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
