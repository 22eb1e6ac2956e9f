"""flowchart_missing / _broken / _unclear / _attachment on hand-made workflow items."""
from audits import flowcharts
from tests.audit_fixtures import AS_OF, image, make_config, snapshot

CONFIG = make_config(flowchart_min_sharpness=30.0)


def attachment(ext="doc", signature="ole2", **fields):
    return {"kind": "attachment", "url": f"http://x/a.{ext}", "status": 200, "content_type": "application/msword",
            "bytes": 23456, "ext": ext, "signature": signature, "error": None, **fields}


def chart_image(width=1000, height=700, **fields):
    return {"kind": "image", **image(width, height, **fields)}


def judge(chart):
    snap = snapshot(workflows=[{"title": "行政许可流程图", "page_url": "http://x/lc/1.html",
                                "column": "工作流程", "flowchart": chart}])
    return [(f.check, f.observed) for f in flowcharts.audit(snap, CONFIG, AS_OF)]


def test_sharp_large_image_passes():
    assert judge(chart_image()) == []


def test_item_without_image_or_attachment_is_missing():
    assert judge({"kind": "none"}) == [("flowchart_missing", "无流程图")]


def test_attachments_that_open_are_attachment_findings():
    assert judge(attachment()) == [("flowchart_attachment", "doc")]
    assert judge(attachment("pdf", "pdf")) == [("flowchart_attachment", "pdf")]
    assert judge(attachment("xls", "zip")) == [("flowchart_attachment", "xls")]   # an .xlsx named .xls opens


def test_attachment_served_by_a_download_script_is_named_by_its_content():
    assert judge(attachment("jsp", "pdf")) == [("flowchart_attachment", "pdf")]
    assert judge(attachment("aspx", "ole2")) == [("flowchart_attachment", "Office文档")]


def test_broken_attachments():
    assert judge(attachment(status=404, error="http_404")) == [("flowchart_broken", "http_404")]
    assert ("flowchart_broken", "empty") in judge(attachment(bytes=0, signature=None))
    assert ("flowchart_broken", "signature_mismatch") in judge(attachment("pdf", "html"))


def test_broken_images():
    assert judge(chart_image(status=404, error="http_404")) == [("flowchart_broken", "http_404")]
    assert judge(chart_image(error="not_image", width=None)) == [("flowchart_broken", "not_image")]


def test_small_image_is_unclear_at_the_boundary():
    assert judge(chart_image(800, 300)) == []
    assert judge(chart_image(300, 799)) == [("flowchart_unclear", "300x799")]


def test_blurred_image_is_unclear():
    assert judge(chart_image(sharpness=3.0)) == [("flowchart_unclear", "清晰度3.0")]


def test_finding_carries_title_page_and_column():
    snap = snapshot(workflows=[{"title": "行政许可流程图", "page_url": "http://x/lc/1.html",
                                "column": "", "flowchart": {"kind": "none"}}])
    (f,) = flowcharts.audit(snap, CONFIG, AS_OF)
    assert (f.subject, f.url, f.column) == ("行政许可流程图", "http://x/lc/1.html", "工作流程")


def test_chart_the_crawl_never_fetched_is_not_judged():
    assert judge(attachment(status=None, error="not_fetched")) == []
    assert judge(chart_image(status=None, error="not_fetched", width=None)) == []


def test_served_attachment_that_does_not_open_is_broken_and_an_attachment():
    # a zero-byte .doc, or an HTML page served as .pdf, is still a file uploaded as an attachment
    assert judge(attachment(bytes=0, signature=None)) == [("flowchart_broken", "empty"),
                                                          ("flowchart_attachment", "doc")]
    assert judge(attachment("pdf", "html")) == [("flowchart_broken", "signature_mismatch"),
                                                ("flowchart_attachment", "pdf")]
    assert judge(attachment("xls", "zip")) == [("flowchart_attachment", "xls")]
    # nothing served: no file there to be an attachment
    assert judge(attachment(status=404, error="http_404")) == [("flowchart_broken", "http_404")]
    assert judge(attachment(status=None, error="timeout")) == [("flowchart_broken", "timeout")]
