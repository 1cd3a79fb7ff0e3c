"""Async clients for cloud SMS providers (Turkey SMS, HiSMS).

Independent of Home Assistant: an injected ``aiohttp.ClientSession``, typed
models and one exception hierarchy.
"""

from .errors import (
    AccountDisabledError,
    AuthenticationError,
    FailureReason,
    InvalidResponseError,
    OutcomeUnknownError,
    ProviderError,
    RateLimitedError,
    RejectedError,
    SmsGatewayConnectionError,
    SmsGatewayError,
    UnsupportedFeatureError,
)
from .hisms import HiSms
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    DeliveryState,
    MessageStatus,
    ReportEntry,
    SendReceipt,
)
from .otp import OtpReceipt, OtpTemplate, otp_template
from .provider import Capability, ConnectionOptions, HttpSmsProvider, SmsProvider
from .turkey_sms import TurkeySms

__all__ = [
    "AccountDisabledError",
    "AccountInfo",
    "AccountStatus",
    "AuthenticationError",
    "Capability",
    "ConnectionOptions",
    "DeliveryReport",
    "DeliveryState",
    "FailureReason",
    "HiSms",
    "HttpSmsProvider",
    "InvalidResponseError",
    "MessageStatus",
    "OtpReceipt",
    "OtpTemplate",
    "OutcomeUnknownError",
    "ProviderError",
    "RateLimitedError",
    "RejectedError",
    "ReportEntry",
    "SendReceipt",
    "SmsGatewayConnectionError",
    "SmsGatewayError",
    "SmsProvider",
    "TurkeySms",
    "UnsupportedFeatureError",
    "otp_template",
]
