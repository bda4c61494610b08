"""TXT records of a domain, through the DNS server ``settings.DNS_RESOLVER`` names (or the system's): what
domain verification reads. Any failure is "no record": the page says what to publish and to try again."""

import dns.exception
import dns.resolver
from django.conf import settings

TIMEOUT = 3.0


def _resolver() -> dns.resolver.Resolver:
    configured = settings.DNS_RESOLVER.strip()
    if not configured:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        host, _, port = configured.rpartition(":") if configured.count(":") == 1 else (configured, "", "")
        resolver.nameservers = [host or configured]
        if port:
            resolver.port = int(port)
    resolver.timeout = resolver.lifetime = TIMEOUT
    return resolver


def txt_records(name: str) -> list[str]:
    try:
        answer = _resolver().resolve(name, "TXT")
    except (dns.exception.DNSException, ValueError, OSError):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
