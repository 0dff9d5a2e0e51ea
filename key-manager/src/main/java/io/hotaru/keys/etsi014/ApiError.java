package io.hotaru.keys.etsi014;

import java.util.List;
import java.util.Map;

/** An expected refusal (400, 401, 503, ...): becomes a JSON error body, never a stack trace. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<Map<String, Object>> details;

    ApiError(int status, String message) {
        this(status, message, null);
    }

    ApiError(int status, String message, List<Map<String, Object>> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = details;
    }

    int status() {
        return status;
    }

    List<Map<String, Object>> details() {
        return details;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, message);
    }
}
