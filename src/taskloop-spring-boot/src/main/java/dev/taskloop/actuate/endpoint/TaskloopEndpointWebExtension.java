package dev.taskloop.actuate.endpoint;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP statuses of the endpoint's task operations. {@code GET /actuator/taskloop/{task}}: {@code 200}
 * with the task, {@code 404} with a {@link NotFound} body that says why (Actuator's own answer to a
 * {@code null} is an empty 404). The write side: {@code DELETE /actuator/taskloop/{task}}: {@code 204}
 * when cancellation was requested, {@code 404} when no task has that id or declared name, {@code 409}
 * (with the reason in the body) when the task has already ended. {@code POST /actuator/taskloop/{task}}
 * (a control request): {@code 202} when accepted, {@code 400}, {@code 404} or {@code 409}, each with the
 * {@link TaskloopEndpoint.ControlDescriptor} that says why. Without this extension a write or delete
 * operation answers {@code 200} or {@code 204} whatever happened. Like the endpoint's own, these
 * operations exist only when write access is on ({@code management.endpoint.taskloop.access=unrestricted});
 * otherwise DELETE and POST answer 405.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = TaskloopEndpoint.class)
public class TaskloopEndpointWebExtension {

    /** The status of a request accepted for processing: the task acts on it at its next await point. */
    static final int STATUS_ACCEPTED = 202;
    static final int STATUS_CONFLICT = 409;

    private final TaskloopEndpoint endpoint;

    public TaskloopEndpointWebExtension(TaskloopEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * The body of a {@code GET} of an unknown task.
     *
     * @param task the selector as given
     * @param message why nothing was found, and what to use instead
     */
    public record NotFound(String task, String message) {
    }

    @ReadOperation
    public WebEndpointResponse<Object> task(@Selector String task) {
        TaskloopEndpoint.TaskDetailDescriptor found = endpoint.task(task);
        if (found == null) {
            return new WebEndpointResponse<>(new NotFound(task, TaskloopEndpoint.unknownTask(task)), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(found);
    }

    @DeleteOperation
    public WebEndpointResponse<TaskloopEndpoint.CancelDescriptor> cancel(@Selector String task, SecurityContext security) {
        TaskloopEndpoint.CancelDescriptor result = endpoint.cancel(task, security);
        return switch (result.outcome()) {
            case CANCELLED -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
            case UNKNOWN -> new WebEndpointResponse<>(result, WebEndpointResponse.STATUS_NOT_FOUND);
            case ALREADY_ENDED -> new WebEndpointResponse<>(result, STATUS_CONFLICT);
        };
    }

    @WriteOperation
    public WebEndpointResponse<TaskloopEndpoint.ControlDescriptor> control(@Selector String task, @Nullable String action,
            @Nullable String fixedRate, @Nullable String fixedDelay, @Nullable String cron, @Nullable String zone,
            @Nullable String initialDelay, @Nullable String overrun, SecurityContext security) {
        TaskloopEndpoint.ControlDescriptor result = endpoint.control(task, action, fixedRate, fixedDelay, cron, zone, initialDelay, overrun,
                security);
        return new WebEndpointResponse<>(result, switch (result.outcome()) {
            case ACCEPTED -> STATUS_ACCEPTED;
            case BAD_REQUEST -> WebEndpointResponse.STATUS_BAD_REQUEST;
            case UNKNOWN -> WebEndpointResponse.STATUS_NOT_FOUND;
            case CONFLICT -> STATUS_CONFLICT;
        });
    }
}
