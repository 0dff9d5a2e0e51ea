package io.hotaru.agent.dashboard;

/** The dashboard cannot be served (its port is taken, its assets are missing). */
public final class DashboardException extends RuntimeException {

    public DashboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
