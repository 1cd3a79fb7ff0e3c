"""Constants of the SMS Gateway integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "sms_gateway"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_SENDER: Final = "sender"
CONF_BASE_URL: Final = "base_url"
CONF_ADVANCED: Final = "advanced"
CONF_NUMBERS: Final = "numbers"

CONF_DEFAULT_REGION: Final = "default_region"
CONF_LOW_BALANCE_THRESHOLD: Final = "low_balance_threshold"
CONF_MAX_SEGMENTS: Final = "max_segments"
CONF_TRACK_DELIVERY: Final = "track_delivery"

SUBENTRY_RECIPIENT: Final = "recipient"

DEFAULT_LOW_BALANCE_THRESHOLD: Final = 50.0
DEFAULT_MAX_SEGMENTS: Final = 6
UPDATE_INTERVAL: Final = timedelta(minutes=10)

EVENT_MESSAGE_SENT: Final = "sms_gateway_message_sent"
ISSUE_LOW_BALANCE: Final = "low_balance"
