"""Who makes a change: a console user, an API token, a kiosk, the CLI or a system job."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorKind(StrEnum):
    USER = "user"  # an HR or admin user of the console
    TOKEN = "token"  # an HR or admin API token (a script or another system)
    DEVICE = "device"  # an enrolled kiosk
    CLI = "cli"  # `ledger ...` on the server
    SYSTEM = "system"  # a job: expiry, the demo seed, migrations


@dataclass(frozen=True)
class Actor:
    """The actor of a use case; ``name`` is the user, the token's name, the device id or job."""

    kind: ActorKind
    name: str

    @property
    def label(self) -> str:
        """``kind:name``, as domain events carry it."""
        return f"{self.kind.value}:{self.name}"

    @classmethod
    def user(cls, name: str) -> Actor:
        return cls(ActorKind.USER, name)

    @classmethod
    def token(cls, name: str) -> Actor:
        return cls(ActorKind.TOKEN, name)

    @classmethod
    def device(cls, device_id: str) -> Actor:
        return cls(ActorKind.DEVICE, device_id)

    @classmethod
    def cli(cls) -> Actor:
        return cls(ActorKind.CLI, "ledger-cli")

    @classmethod
    def system(cls, job: str) -> Actor:
        return cls(ActorKind.SYSTEM, job)
