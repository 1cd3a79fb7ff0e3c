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
from .models import (
    AccountInfo,
    AccountStatus,
    DeliveryReport,
    DeliveryState,
    MessageStatus,
    OtpReceipt,
    ReportEntry,
    SendReceipt,
)
from .provider import ProviderCapabilities, SmsProvider
from .registry import PROVIDERS, ProviderSpec, create_provider

__all__ = [
    "PROVIDERS",
    "AccountDisabledError",
    "AccountInfo",
    "AccountStatus",
    "AuthenticationError",
    "DeliveryReport",
    "DeliveryState",
    "FailureReason",
    "InvalidResponseError",
    "MessageStatus",
    "OtpReceipt",
    "OutcomeUnknownError",
    "ProviderCapabilities",
    "ProviderError",
    "ProviderSpec",
    "RateLimitedError",
    "RejectedError",
    "ReportEntry",
    "SendReceipt",
    "SmsGatewayConnectionError",
    "SmsGatewayError",
    "SmsProvider",
    "UnsupportedFeatureError",
    "create_provider",
]
