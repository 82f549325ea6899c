package dev.sealgate.files;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

@RestControllerAdvice(assignableTypes = FilesController.class)
class FilesExceptionHandler {

    @ExceptionHandler(FileTooLargeException.class)
    ProblemDetail tooLarge(FileTooLargeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        problem.setTitle("File too large");
        return problem;
    }
}
