package org.lotusia.chainsim.chronik;

import org.lotusia.chain.chronik.proto.Error;

/**
 * An error reply: HTTP status plus Chronik's {@code Error} message ({@code error_code}, {@code
 * msg}, {@code is_user_error}), the body every non-200 Chronik reply carries. Thrown by handlers
 * and written by the server's exception handler.
 */
final class ChronikError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final boolean userError;

  ChronikError(int status, String code, String msg, boolean userError) {
    super(msg, null, false, false);
    this.status = status;
    this.code = code;
    this.userError = userError;
  }

  static ChronikError badRequest(String code, String msg) {
    return new ChronikError(400, code, msg, true);
  }

  static ChronikError notFound(String code, String msg) {
    return new ChronikError(404, code, msg, true);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  byte[] body() {
    return Error.newBuilder()
        .setErrorCode(code)
        .setMsg(getMessage())
        .setIsUserError(userError)
        .build()
        .toByteArray();
  }
}
