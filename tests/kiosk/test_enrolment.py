"""Why an enrolment failed reaches the setup screen as a problem, sorted by the error's type:
an untrusted certificate, a server that does not answer, a wrong code."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.errors import EnrolmentProblem
from kiosk.runtime import EnrolmentError
from sync.client import LedgerClient, TlsError
from tests.conftest import LiveLedger
from tests.kiosk.conftest import MakeKiosk


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that signs itself, as a private CA would: (cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "points ledger test")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "ledger.crt", directory / "ledger.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_ledger(service, tmp_path: Path) -> Iterator[LiveLedger]:
    """The ledger over HTTPS with a certificate no system store trusts."""
    ledger = LiveLedger(service, tls=self_signed(tmp_path))
    yield ledger
    ledger.stop()


def enrolment_problem(make_kiosk: MakeKiosk, url: str, code: str, **config: object) -> object:
    kiosk = make_kiosk(None, enroll=False, **config)
    with pytest.raises(EnrolmentError) as caught:
        kiosk.enroll(url, code, "Kiosk A")
    return caught.value.reason


def test_an_untrusted_certificate_is_a_tls_error(tls_ledger: LiveLedger) -> None:
    client = LedgerClient(tls_ledger.url)
    try:
        with pytest.raises(TlsError):
            client.enroll("ANY-CODE", "Kiosk A")
    finally:
        client.close()


def test_an_untrusted_certificate_is_told_apart_from_an_unreachable_server(
    tls_ledger: LiveLedger, make_kiosk: MakeKiosk
) -> None:
    code = tls_ledger.service.create_enroll_code()
    assert enrolment_problem(make_kiosk, tls_ledger.url, code) is EnrolmentProblem.CERTIFICATE
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"https://127.0.0.1:{s.getsockname()[1]}"
    assert enrolment_problem(make_kiosk, closed, code) is EnrolmentProblem.UNREACHABLE


def test_the_pinned_ca_bundle_is_trusted(
    tls_ledger: LiveLedger, make_kiosk: MakeKiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A machine-wide bundle in the environment must not replace the kiosk's own.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    assert tls_ledger.tls is not None
    bundle = tls_ledger.tls[0]
    assert (
        enrolment_problem(make_kiosk, tls_ledger.url, "NOPE-NOPE-NOPE", ca_bundle=bundle)
        is EnrolmentProblem.CODE
    )
    kiosk = make_kiosk(None, enroll=False, ca_bundle=bundle)
    info = kiosk.enroll(tls_ledger.url, tls_ledger.service.create_enroll_code(), "Kiosk B")
    assert info.name == "Kiosk B"
