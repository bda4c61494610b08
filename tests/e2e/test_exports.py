"""A users export past EXPORT_INLINE_MAX in the browser: the export's page, then the file."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

pytestmark = pytest.mark.e2e


@override_settings(EXPORT_INLINE_MAX=1)
def test_a_large_users_export_is_downloaded_from_its_page(e2e_world, page, sign_in_by_cookie, shot):
    sign_in_by_cookie("admin@blueharbor.test", to=f"/org/{e2e_world.blue_harbor.org.webex_id}/users/")
    page.get_by_test_id("export-users").click()
    page.wait_for_url("**/exports/**")
    page.get_by_test_id("export-download").wait_for()
    assert "Ready" in page.get_by_test_id("export-status").inner_text()
    shot("export-ready")
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("First Name,Last Name,Email")
    assert "maria@blueharbor.test" in content


def test_a_page_left_open_past_the_retention_leads_to_the_expired_page(
    e2e_world, page, sign_in_by_cookie, shot, settings, tmp_path
):
    """The link is a plain one (no ``download`` attribute): the file still downloads in place, and once the
    file is gone the browser shows the 410 page instead of a failed download."""
    from apps.exports.services import exports_expire

    # Through the settings fixture alone: a change of it inside an @override_settings outlives both.
    settings.EXPORT_INLINE_MAX, settings.EXPORT_ROOT = 1, tmp_path
    sign_in_by_cookie("admin@blueharbor.test", to=f"/org/{e2e_world.blue_harbor.org.webex_id}/users/")
    page.get_by_test_id("export-users").click()
    page.wait_for_url("**/exports/**")
    page.get_by_test_id("export-download").wait_for()
    assert exports_expire(now=timezone.now() + timedelta(hours=73))["expired"] == 1
    with page.expect_response("**/download") as gone:
        page.get_by_test_id("export-download").click()
    assert gone.value.status == 410
    assert "Expired" in page.get_by_test_id("export-status").inner_text()
    assert page.get_by_test_id("export-download").count() == 0
    page.wait_for_load_state("load")  # the 410 page's own styles: a screenshot mid-load failed under load
    shot("export-expired")
