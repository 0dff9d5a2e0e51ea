package io.hotaru.keys.etsi014;

/**
 * An HTTP answer, body already JSON. A body holding keys is marked secret: the server zeroes it once
 * it has been written.
 */
record ApiResponse(int status, byte[] body, boolean secret) {
    static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, body, false);
    }

    static ApiResponse secret(byte[] body) {
        return new ApiResponse(200, body, true);
    }

    @Override
    public String toString() {
        return "ApiResponse[" + status + ", " + body.length + " bytes" + (secret ? ", secret" : "") + "]";
    }
}
