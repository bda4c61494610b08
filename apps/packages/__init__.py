"""The package catalogue as data: packages, add-ons, entitlements, locales, call-in regions."""
