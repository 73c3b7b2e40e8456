package io.weir.state;

/** A state operation failed; the message names the store and the operation. */
public final class StateException extends RuntimeException {
  public StateException(String store, String operation, Throwable cause) {
    super("state store " + store + ": " + operation + " failed: " + cause.getMessage(), cause);
  }

  public StateException(String store, String operation, String reason) {
    super("state store " + store + ": " + operation + " failed: " + reason);
  }
}
