"""Onboarding templates (the provisioningId) and the snapshot a customer keeps."""
