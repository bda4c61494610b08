"""A partner admin cross-launched into a customer's Control Hub adds 50 users from a CSV file: 48 are added,
the 2 bad rows are shown with their line numbers and downloaded as the error report."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.subscribers.models import Subscriber

HEADER = "Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension"


def _fifty_rows_two_bad() -> bytes:
    """Line 12: an unknown package; line 31: an extension Maria already holds."""
    lines = [HEADER]
    for n in range(50):
        line = n + 2
        package = "no_such_package" if line == 12 else "webex_suite"
        extension = "2001" if line == 31 else str(3000 + n)
        lines.append(f"add,User,{n:02d},user{n:02d}@blueharbor.test,{package},,,{extension}")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.e2e
def test_partner_admin_imports_users_with_csv_in_a_customers_control_hub(
    page, e2e_world, sign_in_by_cookie, shot
):
    acme, blue = e2e_world.acme, e2e_world.blue_harbor
    sign_in_by_cookie("partneradmin@acme.test", to=f"/partner/{acme.webex_id}/customers/")
    page.get_by_role("link", name="Open Control Hub of Blue Harbor Dental").click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.org.webex_id}/$"))
    expect(page.get_by_test_id("cross-launch-banner")).to_be_visible()

    page.goto(f"/org/{blue.org.webex_id}/user-imports/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add or modify users with CSV")
    expect(page.get_by_test_id("cross-launch-banner")).to_contain_text("partneradmin@acme.test")
    with page.expect_download() as template:
        page.get_by_test_id("csv-template").click()
    assert template.value.suggested_filename == "users-template.csv"
    shot("upload-form")

    # A file that is not CSV: the form says so and nothing is imported.
    page.get_by_label("CSV file").set_input_files(
        {"name": "users.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04"}
    )
    page.get_by_test_id("user-import-submit").click()
    expect(page.get_by_text("Choose a CSV file (.csv).")).to_be_visible()
    shot("upload-refused")

    page.get_by_label("CSV file").set_input_files(
        {"name": "new-staff.csv", "mimeType": "text/csv", "buffer": _fifty_rows_two_bad()}
    )
    page.get_by_test_id("user-import-submit").click()
    expect(page).to_have_url(re.compile(rf"/org/{blue.org.webex_id}/user-imports/[^/]+/$"))
    live = page.get_by_test_id("import-live")
    expect(live).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("count-added")).to_have_text("48")
    expect(page.get_by_test_id("count-failed")).to_have_text("2")
    expect(page.get_by_test_id("import-status")).to_have_text("Done")
    rows = page.get_by_test_id("import-error-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("12")
    expect(rows.nth(0)).to_contain_text("no_such_package")
    expect(rows.nth(1)).to_contain_text("31")
    expect(rows.nth(1)).to_contain_text("Extension 2001 is already in use")
    shot("import-done")

    with page.expect_download() as download:
        page.get_by_test_id("import-errors-csv").click()
    assert download.value.suggested_filename == "new-staff-errors.csv"
    report = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert report[0] == ["Line", "Email", "Action", "Errors"]
    assert [(r[0], r[1]) for r in report[1:]] == [
        ("12", "user10@blueharbor.test"),
        ("31", "user29@blueharbor.test"),
    ]
    assert Subscriber.objects.filter(customer=blue, email__startswith="user").count() == 48

    # Back on the import page, the import is listed among the recent ones and opens again.
    page.goto(page.url.split("/user-imports/")[0] + "/user-imports/new/")
    recent = page.get_by_test_id("recent-import")
    expect(recent).to_have_count(1)
    expect(recent.first).to_contain_text("new-staff.csv")
    shot("recent-imports")
    recent.first.get_by_role("link", name="new-staff.csv").click()
    expect(page.get_by_test_id("count-added")).to_have_text("48")
