package dev.sealgate.web;

import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns argument errors of our own APIs into RFC 9457 problem details with the reason in one line.
 * Ordered first: Spring Boot's own problem-details advice ({@code spring.webflux.problemdetails})
 * also handles {@link ServerWebInputException} and would otherwise answer "Type mismatch." first.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        return problem;
    }

    /**
     * A query or path value of the wrong type: Spring's own text ("Type mismatch.") names neither the
     * parameter nor what it takes; this one names both.
     */
    @ExceptionHandler(ServerWebInputException.class)
    ProblemDetail badInput(ServerWebInputException e) {
        JacksonException json = jsonCause(e);
        if (json != null) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(json));
            problem.setTitle("Invalid request");
            String field = field(json);
            if (!field.isEmpty()) {
                problem.setProperty("field", field);
            }
            return problem;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describe(e));
        problem.setTitle("Invalid request");
        MethodParameter parameter = e.getMethodParameter();
        if (parameter != null && parameter.getParameterName() != null) {
            problem.setProperty("parameter", parameter.getParameterName());
        }
        return problem;
    }

    static String describe(ServerWebInputException e) {
        MethodParameter parameter = e.getMethodParameter();
        String name = parameter == null ? null : parameter.getParameterName();
        if (e.getCause() instanceof TypeMismatchException mismatch && name != null) {
            Class<?> type = mismatch.getRequiredType();
            return "parameter '" + name + "' must be " + accepted(type) + ", got '" + mismatch.getValue() + "'";
        }
        String reason = e.getReason();
        return name == null ? (reason == null ? "invalid request" : reason)
                : "parameter '" + name + "': " + (reason == null ? "invalid value" : reason);
    }

    /**
     * A request body Jackson could not read: Spring's own text ("Failed to read HTTP message") says
     * neither where nor what. Names the field and what it takes; echoes the value only for an
     * enumeration (never free text, which could be a password).
     */
    static String describe(JacksonException json) {
        String field = field(json);
        if (json instanceof MismatchedInputException mismatch && !field.isEmpty()) {
            Class<?> type = mismatch.getTargetType();
            String got = json instanceof InvalidFormatException invalid && type != null && type.isEnum()
                    ? ", got '" + abbreviated(String.valueOf(invalid.getValue())) + "'" : "";
            return "field '" + field + "' must be " + accepted(type) + got;
        }
        TokenStreamLocation at = json.getLocation();
        return "the request body is not valid JSON"
                + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    private static JacksonException jsonCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException json) {
                return json;
            }
        }
        return null;
    }

    private static String field(JacksonException json) {
        return json.getPath().stream()
                .map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String abbreviated(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    private static String accepted(Class<?> type) {
        if (type == null) {
            return "a valid value";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-11-30T12:00:00Z";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a valid " + type.getSimpleName();
    }
}
