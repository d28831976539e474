import io
import os

import pytest
from werkzeug.datastructures import FileStorage

from matchmaker.errors import ValidationFailed
from matchmaker.files.services import (
    UploadPolicy,
    attachment_path,
    check_upload,
    clean_filename,
    save_upload,
)

PDF = b"%PDF-1.7\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, content):
    return FileStorage(stream=io.BytesIO(content), filename=name)


def test_accepts_matching_type_and_content():
    assert check_upload(upload("报告.pdf", PDF), UploadPolicy())[0] == "pdf"
    assert check_upload(upload("photo.PNG", PNG), UploadPolicy())[0] == "png"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("run.exe", b"MZ", "不支持的文件类型"),
        ("noext", PDF, "不支持的文件类型"),
        ("fake.pdf", b"<script>alert(1)</script>", "内容与扩展名不符"),
        ("empty.pdf", b"", "是空的"),
    ],
)
def test_refuses_bad_files(app_ctx, name, content, message):
    with pytest.raises(ValidationFailed) as err:
        check_upload(upload(name, content), UploadPolicy())
    assert message in err.value.message


def test_refuses_files_over_the_limit(app_ctx):
    big = PDF + b"0" * 2048
    with pytest.raises(ValidationFailed) as err:
        check_upload(upload("big.pdf", big), UploadPolicy(max_bytes=1024))
    assert "上限" in err.value.message


def test_clean_filename_keeps_chinese_and_drops_paths():
    assert clean_filename("../../etc/检测报告.pdf") == "检测报告.pdf"
    assert clean_filename("C:\\temp\\a<b>.pdf") == "ab.pdf"


def test_save_writes_under_a_random_key(app_ctx):
    attachment = save_upload(upload("../方案.pdf", PDF), "test", 1, None)
    assert attachment.filename == "方案.pdf"
    assert attachment.size == len(PDF)
    path = attachment_path(attachment)
    assert os.path.basename(path) != "方案.pdf"
    with open(path, "rb") as fh:
        assert fh.read() == PDF
