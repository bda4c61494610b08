"""Partner Hub pages of onboarding: templates (templates.py) and the customer wizards (wizard.py)."""
