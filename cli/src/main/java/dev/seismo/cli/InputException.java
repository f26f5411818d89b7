package dev.seismo.cli;

/** Input that was read but cannot be used, such as profiles that do not merge; its message is shown as it is. */
final class InputException extends Exception {

    InputException(String message) {
        super(message);
    }
}
