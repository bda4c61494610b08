"""A SCIM 2.0 endpoint (RFC 7643/7644, the Users resource) through which an organisation's identity provider
(Okta, Microsoft Entra ID, OneLogin) keeps the organisation's users in step with its directory: ``views`` (the
HTTP side: the bearer secret, methods, SCIM error bodies), ``bodies`` (what a PUT or PATCH asks of a user) and
``discovery`` (``/ServiceProviderConfig``, ``/Schemas``, ``/ResourceTypes``). The writes are the directory's
services (``scim_user_create``, ``scim_user_update``, ``scim_user_remove``)."""
