package dev.taskloop.actuate.endpoint;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP statuses of {@code DELETE /actuator/taskloop/{task}}: {@code 204} when cancellation was
 * requested, {@code 404} when no task has that id or declared name, {@code 409} (with the reason in
 * the body) when the task has already ended. Without this extension a delete operation answers
 * {@code 204} whatever happened. Like the endpoint's own delete, it exists only when write access
 * is on ({@code management.endpoint.taskloop.access=unrestricted}); otherwise DELETE answers 405.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = TaskloopEndpoint.class)
public class TaskloopEndpointWebExtension {

    private final TaskloopEndpoint endpoint;

    public TaskloopEndpointWebExtension(TaskloopEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @DeleteOperation
    public WebEndpointResponse<TaskloopEndpoint.CancelDescriptor> cancel(@Selector String task, SecurityContext security) {
        TaskloopEndpoint.CancelDescriptor result = endpoint.cancel(task, security);
        return switch (result.outcome()) {
            case CANCELLED -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
            case UNKNOWN -> new WebEndpointResponse<>(result, WebEndpointResponse.STATUS_NOT_FOUND);
            case ALREADY_ENDED -> new WebEndpointResponse<>(result, 409);
        };
    }
}
