"""qr: codes made with segno are found on a card-like image and classified."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import segno

from cardscan.reading.qr import classify_payload, decode_qr

VCARD = "BEGIN:VCARD\nVERSION:3.0\nN:Ruiz;Ana\nFN:Ana Ruiz\nEMAIL:ana@example.org\nEND:VCARD"


def _scene(payload: str, scale: int = 5) -> np.ndarray:
    out = io.BytesIO()
    segno.make(payload, micro=False).save(out, kind="png", scale=scale, border=4)
    code = cv2.imdecode(np.frombuffer(out.getvalue(), np.uint8), cv2.IMREAD_COLOR)
    scene = np.full((900, 1400, 3), (210, 200, 190), np.uint8)
    y, x = 300, 800
    scene[y : y + code.shape[0], x : x + code.shape[1]] = code
    return scene


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (VCARD, "vcard"),
        ("MECARD:N:Ruiz,Ana;TEL:+351912345678;EMAIL:ana@example.org;;", "mecard"),
        ("https://example.org/ana", "url"),
        ("hello there", "text"),
    ],
)
def test_decode_generated_codes(payload, kind):
    codes = decode_qr([_scene(payload)])
    assert [(c.data, c.kind) for c in codes] == [(payload, kind)]


def test_same_code_in_several_images_is_reported_once():
    scene = _scene("https://example.org/x")
    assert len(decode_qr([scene, scene[100:, 500:]])) == 1


def test_no_code():
    assert decode_qr([np.full((600, 800, 3), 255, np.uint8), np.zeros((0, 0, 3), np.uint8)]) == ()


def test_classify_www_without_scheme():
    assert classify_payload("www.example.org") == "url"
    assert classify_payload("begin:vcard\nEND:VCARD") == "vcard"


def test_code_seen_at_an_angle_and_in_perspective():
    scene = _scene("https://example.org/tilted", scale=4)
    h, w = scene.shape[:2]
    turned = cv2.warpAffine(
        scene, cv2.getRotationMatrix2D((w / 2, h / 2), 33, 1.0), (w, h), borderValue=(210, 200, 190)
    )
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[60, 20], [w - 10, 90], [w - 120, h - 30], [0, h - 80]])
    skewed = cv2.warpPerspective(turned, cv2.getPerspectiveTransform(src, dst), (w, h))
    assert [c.data for c in decode_qr([skewed])] == ["https://example.org/tilted"]


def test_light_code_on_a_dark_card():
    assert [c.data for c in decode_qr([255 - _scene("https://example.org/dark")])] == [
        "https://example.org/dark"
    ]


def test_utf8_vcard_keeps_its_letters_and_line_breaks():
    payload = "BEGIN:VCARD\nVERSION:3.0\nFN:Şükrü Yılmaz Çağlar\nORG:Örnek Ltd.\nEND:VCARD"
    (code,) = decode_qr([_scene(payload, scale=4)])
    assert code.data == payload and code.kind == "vcard"
