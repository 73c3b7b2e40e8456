package io.weir.app;

/** The service could not start for a reason the operator can fix; the message says which. */
final class StartupException extends RuntimeException {
  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
