"""WeCom crypto against the published vectors in ../shared/PROTOCOLS.md (TV-1, TV-2, TV-3)."""
from __future__ import annotations

import pytest

from bot.platforms.wecom_crypto import WeComCrypto, WeComCryptoError
from bot.platforms.wecom import envelope_values

TENCENT = WeComCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
WECHATPY = WeComCrypto("123456", "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR", "wx49f0ab532d5d035a")
TV1_ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
TV2_ENCRYPT = ("RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3"
               "TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsij"
               "ff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLV"
               "MNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2p"
               "DBS8R07+qN+E7Q==")
TV3_REPLY = ("<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
             "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n"
             "<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>")
TV3_ENCRYPT = ("9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ"
               "+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1"
               "p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3k"
               "FxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3")
TV3C_ENCRYPT = ("RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6yd"
                "JRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZB"
                "tDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuG"
                "hcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=")


def test_tv1_url_verification():
    assert TENCENT.open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", TV1_ECHO) == "1616140317555161061"


def test_tv2_message_decrypts_to_the_published_plaintext():
    plain = TENCENT.open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", TV2_ENCRYPT)
    assert "<Content><![CDATA[hello]]></Content>" in plain
    assert "<MsgId>4561255354251345929</MsgId>" in plain and "<AgentID>218</AgentID>" in plain


def test_tv3a_signature_checks_and_a_changed_nonce_fails():
    echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
    assert WECHATPY.open("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "1411443780", "437374425", echo) == "5927782489442352469"
    with pytest.raises(WeComCryptoError):
        WECHATPY.open("dd6b9c95b495b3f7e2901bfbc76c664930ffdb96", "1411443780", "437374424", echo)


def test_tv3b_encrypting_a_reply_reproduces_the_vector():
    encrypted = WECHATPY.encrypt(TV3_REPLY, random16=b"1234567890123456")
    assert encrypted == TV3_ENCRYPT
    assert WECHATPY.signature("1411525903", "461056294", encrypted) == "407518b7649e86ef23978113f92d27afa9296533"
    assert envelope_values(WECHATPY, TV3_REPLY, "1411525903", "461056294", b"1234567890123456") == (
        TV3_ENCRYPT, "407518b7649e86ef23978113f92d27afa9296533")


def test_tv3c_decrypt():
    plain = WECHATPY.open("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294", TV3C_ENCRYPT)
    assert "<Content><![CDATA[test]]></Content>" in plain and "messense" in plain


def test_another_corps_message_is_refused():
    other = WeComCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "ww-someone-else")
    with pytest.raises(WeComCryptoError, match="not for this corp"):
        other.open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", TV2_ENCRYPT)


@pytest.mark.parametrize("encrypted", ["", "not base64!", "AAAA", "A" * 44])
def test_garbage_ciphertext_is_an_error_not_a_crash(encrypted):
    with pytest.raises(WeComCryptoError):
        TENCENT.decrypt(encrypted)


def test_round_trip_with_chinese_text():
    assert TENCENT.decrypt(TENCENT.encrypt("本周有什么任务")) == "本周有什么任务"
