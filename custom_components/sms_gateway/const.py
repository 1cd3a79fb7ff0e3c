"""Constants of the SMS Gateway integration."""

from __future__ import annotations

from datetime import timedelta
import logging

DOMAIN = "sms_gateway"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER = "provider"
CONF_SENDER = "sender"
CONF_BASE_URL = "base_url"
CONF_ADVANCED = "advanced"
CONF_NUMBERS = "numbers"

CONF_DEFAULT_REGION = "default_region"
CONF_LOW_BALANCE_THRESHOLD = "low_balance_threshold"
CONF_MAX_SEGMENTS = "max_segments"
CONF_TRACK_DELIVERY = "track_delivery"

SUBENTRY_RECIPIENT = "recipient"

DEFAULT_LOW_BALANCE_THRESHOLD = 50.0
DEFAULT_MAX_SEGMENTS = 6
UPDATE_INTERVAL = timedelta(minutes=10)

EVENT_MESSAGE_SENT = "sms_gateway_message_sent"
ISSUE_LOW_BALANCE = "low_balance"
CONF_RETRY_MINUTES = "retry_minutes"
CONF_FALLBACK_ACCOUNT = "fallback_account"
DEFAULT_RETRY_MINUTES = 60
RETRY_MINUTES_MAX = 1440
CONF_DAILY_LIMIT = "daily_limit"
CONF_REPEAT_WINDOW_MINUTES = "repeat_window_minutes"
DEFAULT_DAILY_LIMIT = 0
"""SMS parts a day; 0: no limit."""
DEFAULT_REPEAT_WINDOW_MINUTES = 0
"""0: the same text may go to the same number again at once."""
EVENT_LIMIT_REACHED = "sms_gateway_limit_reached"
ISSUE_DAILY_LIMIT_REACHED = "daily_limit_reached"
