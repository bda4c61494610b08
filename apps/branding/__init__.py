"""Advanced branding of partners and customers (logos, colours, support links) and its resolution,
``branding_for(org)``. Empty until the branding issue fills it."""
