package dev.taskloop.actuate.endpoint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Refuses a control request ({@code POST /actuator/taskloop/{task}}) that carries a field the
 * operation does not take, with {@code 400} and a message naming it and what is allowed. Actuator
 * passes an operation only the arguments it names and drops the rest, so without this a typo
 * ({@code "fixedRat"}) would go unnoticed; the arguments are the JSON body's fields and the query
 * parameters. Applies to the {@code taskloop} endpoint's write operation only; the refusal is audited
 * as the endpoint's other answers are.
 *
 * @since 0.1.0
 */
public final class ControlFieldsAdvisor implements OperationInvokerAdvisor {

    private static final EndpointId TASKLOOP = EndpointId.of("taskloop");

    private final TaskloopEndpoint endpoint;

    public ControlFieldsAdvisor(TaskloopEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters, OperationInvoker invoker) {
        if (!TASKLOOP.equals(endpointId) || operationType != OperationType.WRITE) {
            return invoker;
        }
        Set<String> allowed = new HashSet<>();
        for (OperationParameter p : parameters) {
            allowed.add(p.getName());
        }
        return context -> {
            List<String> unknown = new ArrayList<>();
            for (String name : context.getArguments().keySet()) {
                if (!allowed.contains(name)) {
                    unknown.add(name);
                }
            }
            if (unknown.isEmpty()) {
                return invoker.invoke(context);
            }
            Object task = context.getArguments().get("task");
            return new WebEndpointResponse<>(endpoint.refuseFields(task == null ? "" : task.toString(), context.getArguments().get("action"),
                    unknown, context.resolveArgument(SecurityContext.class)), WebEndpointResponse.STATUS_BAD_REQUEST);
        };
    }
}
