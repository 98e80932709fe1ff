"""Every report format from the same findings: JUnit and SARIF validated
against their published schemas, Markdown and HTML checked for content."""
from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import build_variant, checked, default_ruleset, sample

from budgetaudit.report import html, junit, markdown, sarif
from budgetaudit.run.baseline import MARK
from budgetaudit.run.batch import guarded_check
from budgetaudit.run.cache import DocumentCache

SCHEMAS = Path(__file__).parent / "schemas"
CHANGE = [("六、社会保障和就业支出\t77.29", "六、社会保障和就业支出\t77.39")]  # one figure changed: balance and tie rules fire


@pytest.fixture(scope="module")
def variant(tmp_path_factory) -> Path:
    return build_variant(tmp_path_factory.mktemp("variant"), "anshan-zwfwzx-2025", CHANGE)


@pytest.fixture(scope="module")
def results(variant, tmp_path_factory):
    """A document with errors, a clean-ish sample, and a file that is not a PDF."""
    bad = tmp_path_factory.mktemp("bad") / "garbage | <b>&.pdf"
    bad.write_bytes(b"not a pdf at all")
    found = guarded_check(variant, default_ruleset(), "zh", DocumentCache(None, None))
    assert any(f.severity == "error" for f in found.findings), "the changed figure must produce an error"
    return [found, checked(str(sample("yongdeng-zwfw-2024"))), guarded_check(bad, default_ruleset(), "zh", DocumentCache(None, None))]


def test_junit_is_valid_against_the_jenkins_xsd(results):
    xmlschema = pytest.importorskip("xmlschema", reason="pip install -e '.[test]' installs xmlschema")
    text = junit.render(results, default_ruleset(), "zh", "error")
    xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).validate(text)
    tree = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).to_dict(text)
    suites = tree["testsuite"]
    assert len(suites) == 3
    # one testcase per loaded rule and one for the coverage; one failure per error finding
    assert len(suites[0]["testcase"]) == len(default_ruleset().rules) + 1
    failures = [f for case in suites[0]["testcase"] for f in case.get("failure", [])]
    assert len(failures) == results[0].count("error")
    assert suites[2]["@errors"] == "1" and "error" in suites[2]["testcase"][0]


def test_junit_fail_level_moves_warnings_into_failures(results):
    xmlschema = pytest.importorskip("xmlschema")
    at_error = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).to_dict(junit.render(results, default_ruleset(), "en", "error"))
    at_warning = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd")).to_dict(junit.render(results, default_ruleset(), "en", "warning"))
    count = lambda tree: sum(len(c.get("failure", [])) for c in tree["testsuite"][0]["testcase"])  # noqa: E731
    assert count(at_warning) == results[0].count("error") + results[0].count("warning") > count(at_error)


def test_junit_strips_characters_xml_cannot_hold():
    assert junit.safe("a\x00b\x1fc\u4e2d") == "abc\u4e2d"


def sarif_schema() -> dict:
    return json.loads((SCHEMAS / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))


def test_sarif_is_valid_against_the_schema(results):
    data = json.loads(sarif.render(results, default_ruleset(), "zh"))
    jsonschema.Draft4Validator(sarif_schema()).validate(data)
    run = data["runs"][0]
    assert len(run["results"]) == sum(len(r.findings) for r in results)
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert errors and all(r["locations"][0]["properties"]["page"] for r in errors)
    assert {r["ruleId"] for r in run["results"]} <= {d["id"] for d in run["tool"]["driver"]["rules"]}
    assert run["invocations"][0]["executionSuccessful"] is False  # the garbage file
    assert "%20" in run["artifacts"][2]["location"]["uri"]


def test_sarif_marks_waived_and_baselined_findings(variant):
    result = guarded_check(variant, default_ruleset(), "en", DocumentCache(None, None))
    result.findings[0].waived = "confirmed by the finance bureau"
    result.findings[1].waived = MARK + "base.json"
    data = json.loads(sarif.render([result], default_ruleset(), "en", baseline_used=True))
    jsonschema.Draft4Validator(sarif_schema()).validate(data)
    first, second, third = data["runs"][0]["results"][:3]
    assert first["suppressions"][0]["justification"] == "confirmed by the finance bureau"
    assert second["baselineState"] == "unchanged" and third["baselineState"] == "new"


def test_markdown_summary_is_worst_first_and_escaped(results):
    text = markdown.render(results, "en")
    assert "garbage \\| &lt;b&gt;&.pdf" in text  # a pipe in a name cannot break the table
    summary = text.split("<details>")[0]
    assert summary.index("garbage") < summary.index("anshan") < summary.index("yongdeng")  # unreadable, then errors, then the rest
    details = text.split("<details>")[1]
    assert "`T-BAL-004`" in details and "🔴 errors" in details and "931.04万元" in details


def test_html_is_self_contained_with_highlighted_crops(results, variant):
    text = html.render(results[:1], default_ruleset(), "zh")
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
    images = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', text)
    assert len(images) >= results[0].count("error")
    from PIL import Image

    crop = Image.open(io.BytesIO(base64.b64decode(images[0])))
    page_height = 842 * html.SCALE
    assert crop.height < page_height * 0.8, "the crop is a band around the highlighted cells, not the whole page"
    colours = crop.convert("RGB").getcolors(1 << 24)
    red, blue = (lambda r, g, b: r > 200 and g < 60 and b < 60), (lambda r, g, b: r < 60 and b > 140)  # a cell's box, a sentence found by text
    assert any(red(*c) or blue(*c) for _, c in colours), "a highlight frame is drawn"


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_renders_in_headless_chromium(results, tmp_path):
    browser = chromium()
    if not browser:
        pytest.skip("chromium not installed (.ci/run installs it with apt-get)")
    report = tmp_path / "report.html"
    probe = ("<script>addEventListener('load',()=>{const i=[...document.images];"
             "document.body.setAttribute('data-images',i.length+':'+i.filter(x=>x.complete&&x.naturalWidth>0).length)})</script></body>")
    report.write_text(html.render(results, default_ruleset(), "zh").replace("</body>", probe), encoding="utf-8")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=5000"]
    dom = subprocess.run(command + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    total, loaded = map(int, re.search(r'data-images="(\d+):(\d+)"', dom).groups())
    assert total >= 2 and loaded == total, f"{loaded} of {total} images rendered"
    shot = tmp_path / "shot.png"
    subprocess.run(command + ["--window-size=1200,1600", f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120)
    from PIL import Image

    image = Image.open(shot).convert("L")
    assert image.getextrema()[0] < 100, "the screenshot shows text, not a blank page"
