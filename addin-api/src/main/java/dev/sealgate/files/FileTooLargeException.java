package dev.sealgate.files;

/** An upload went past {@code sealgate.files.max-file-size}. */
public class FileTooLargeException extends RuntimeException {

    public FileTooLargeException(long limit) {
        super("the file is larger than the limit of " + limit + " bytes (sealgate.files.max-file-size); "
                + "send a smaller file or ask the administrator to raise the limit");
    }
}
