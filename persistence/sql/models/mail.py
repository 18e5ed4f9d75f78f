"""The mail outbox: messages written with the change that causes them, sent after commit."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.mail import UNSENT, MailStatus
from persistence.sql.models.base import Base, new_id, one_of, utcnow_column

__all__ = ["MailMessage"]


class MailMessage(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(one_of("status", MailStatus), name="status"),
        Index(
            "ix_mail_outbox_open",
            "created_at",
            postgresql_where=text(one_of("status", UNSENT)),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = utcnow_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_tried_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
