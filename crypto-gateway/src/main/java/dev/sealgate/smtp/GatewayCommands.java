package dev.sealgate.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.server.Session;

/**
 * The commands in which the gateway differs from SubEthaSMTP's defaults: EHLO advertises DSN,
 * PIPELINING and ENHANCEDSTATUSCODES (not CHUNKING); MAIL and RCPT keep the RFC 3461 parameters;
 * DATA reads strictly ({@link StrictDataInputStream}); STARTTLS records failed handshakes; BDAT is
 * refused. Everything else (session, reader, HELO, RSET, NOOP, QUIT) stays the library's. See
 * docs/adr/0030-smtp-server-library.md for why the commands are replaced this way.
 */
final class GatewayCommands {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>@\"]+@[^\\s<>@\"]+");
    private static final Set<String> NOTIFY_VALUES = Set.of("SUCCESS", "FAILURE", "DELAY");

    private GatewayCommands() {
    }

    static void install(CommandHandler handler, SmtpSettings settings, TlsSetup tls, SmtpEvents events) {
        handler.addCommand(new Ehlo(settings, tls != null));
        handler.addCommand(new Helo(settings));
        handler.addCommand(new Mail(settings, events));
        handler.addCommand(new Rcpt(settings, events));
        handler.addCommand(new Data(settings));
        handler.addCommand(new Bdat());
        handler.addCommand(new StartTls(tls));
    }

    /**
     * The reply for a command line that carries a control character (NUL, ESC, DEL, ...) or, without
     * SMTPUTF8, a non-ASCII character; null when the line is clean. Such bytes in an address or a
     * host name would travel to the next hop, the Received header and the database.
     */
    static String refuseCharacters(String commandString, String what) {
        for (int i = 0; i < commandString.length(); i++) {
            char c = commandString.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "501 5.5.2 Control character 0x" + String.format("%02X", (int) c) + " in the " + what
                        + ": addresses and host names are printable ASCII";
            }
            if (c > 0x7f) {
                return "553 5.6.7 Non-ASCII character in the " + what + ": this server does not offer SMTPUTF8";
            }
        }
        return null;
    }

    static ReceivingSession handler(Session session) {
        return (ReceivingSession) session.getMessageHandler();
    }

    private static final class Ehlo extends BaseCommand {
        private final SmtpSettings settings;
        private final boolean tls;

        Ehlo(SmtpSettings settings, boolean tls) {
            super("EHLO", "Introduce yourself.", "<hostname>");
            this.settings = settings;
            this.tls = tls;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException {
            String[] args = getArgs(commandString);
            if (args.length < 2) {
                session.sendResponse("501 5.5.4 Syntax: EHLO hostname");
                return;
            }
            String refused = refuseCharacters(commandString, "host name");
            if (refused != null) {
                session.sendResponse(refused);
                return;
            }
            session.resetMailTransaction();
            session.setHelo(args[1]);
            StringBuilder reply = new StringBuilder("250-").append(settings.hostName())
                    .append("\r\n250-SIZE ").append(settings.maxMessageSize())
                    .append("\r\n250-8BITMIME")
                    .append("\r\n250-PIPELINING")
                    .append("\r\n250-ENHANCEDSTATUSCODES")
                    .append("\r\n250-DSN");
            if (tls && !session.isTLSStarted()) {
                reply.append("\r\n250-STARTTLS");
            }
            reply.append("\r\n250 HELP");
            session.sendResponse(reply.toString());
        }
    }

    private static final class Helo extends BaseCommand {
        private final SmtpSettings settings;

        Helo(SmtpSettings settings) {
            super("HELO", "Introduce yourself.", "<hostname>");
            this.settings = settings;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException {
            String[] args = getArgs(commandString);
            if (args.length < 2) {
                session.sendResponse("501 5.5.4 Syntax: HELO hostname");
                return;
            }
            String refused = refuseCharacters(commandString, "host name");
            if (refused != null) {
                session.sendResponse(refused);
                return;
            }
            session.resetMailTransaction();
            session.setHelo(args[1]);
            session.sendResponse("250 " + settings.hostName());
        }
    }

    /** Reports a refused command line as an event (the session may have no transaction, so no handler, yet). */
    private static void report(SmtpEvents events, Session session, String reply) {
        events.refused(session.getRealRemoteAddress().getAddress().getHostAddress(), session.getHelo().orElse(""), reply);
    }

    private static final class Mail extends BaseCommand {
        private final SmtpSettings settings;
        private final SmtpEvents events;

        Mail(SmtpSettings settings, SmtpEvents events) {
            super("MAIL", "Specifies the sender.", "FROM: <sender> [ <parameters> ]");
            this.settings = settings;
            this.events = events;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException, DropConnectionException {
            if (session.isMailTransactionInProgress()) {
                session.sendResponse("503 5.5.1 Sender already specified");
                return;
            }
            if (session.getHelo().isEmpty()) {
                session.sendResponse("503 5.5.1 Send EHLO or HELO first");
                return;
            }
            String refused = refuseCharacters(commandString, "sender address or its parameters");
            if (refused != null) {
                report(events, session, refused);
                session.sendResponse(refused);
                return;
            }
            Path path = Path.parse(commandString.substring(4), "FROM:");
            if (path == null) {
                session.sendResponse("501 5.5.4 Syntax: MAIL FROM:<address> [SIZE=n] [BODY=8BITMIME] [RET=FULL|HDRS] [ENVID=id]");
                return;
            }
            if (!path.address.isEmpty() && !ADDRESS.matcher(path.address).matches()) {
                session.sendResponse("553 5.1.7 Invalid sender address <" + path.address + ">");
                return;
            }
            String ret = null;
            String envid = null;
            long size = 0;
            for (String param : path.params) {
                String key = param.contains("=") ? param.substring(0, param.indexOf('=')).toUpperCase(Locale.ROOT) : param.toUpperCase(Locale.ROOT);
                String value = param.contains("=") ? param.substring(param.indexOf('=') + 1) : "";
                switch (key) {
                    case "SIZE" -> {
                        if (!value.matches("[0-9]{1,18}")) {
                            session.sendResponse("501 5.5.4 SIZE needs a number of bytes");
                            return;
                        }
                        size = Long.parseLong(value);
                    }
                    case "BODY" -> {
                        if (!value.equalsIgnoreCase("7BIT") && !value.equalsIgnoreCase("8BITMIME")) {
                            session.sendResponse("501 5.5.4 BODY must be 7BIT or 8BITMIME");
                            return;
                        }
                    }
                    case "RET" -> {
                        if (!value.equalsIgnoreCase("FULL") && !value.equalsIgnoreCase("HDRS")) {
                            session.sendResponse("501 5.5.4 RET must be FULL or HDRS");
                            return;
                        }
                        ret = value.toUpperCase(Locale.ROOT);
                    }
                    case "ENVID" -> {
                        if (value.isEmpty() || value.length() > 100) {
                            session.sendResponse("501 5.5.4 ENVID must be 1 to 100 characters");
                            return;
                        }
                        envid = value;
                    }
                    default -> {
                        session.sendResponse("555 5.5.4 MAIL parameter " + key + " is not supported");
                        return;
                    }
                }
            }
            if (size > settings.maxMessageSize()) {
                session.sendResponse("552 5.3.4 Message size " + size + " exceeds fixed maximum message size of "
                        + settings.maxMessageSize() + " bytes");
                return;
            }
            session.setDeclaredMessageSize((int) Math.min(size, Integer.MAX_VALUE));
            session.startMailTransaction();
            String overLimit = handler(session).overMessageRate();
            if (overLimit != null) {
                session.resetMailTransaction();
                throw new DropConnectionException(421, overLimit.substring(4));
            }
            try {
                handler(session).mailFrom(path.address, ret, envid);
            } catch (RejectException e) {
                session.resetMailTransaction();
                session.sendResponse(e.getErrorResponse());
                return;
            }
            session.sendResponse("250 2.1.0 Ok");
        }
    }

    private static final class Rcpt extends BaseCommand {
        private final SmtpSettings settings;
        private final SmtpEvents events;

        Rcpt(SmtpSettings settings, SmtpEvents events) {
            super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient> [ <parameters> ]");
            this.settings = settings;
            this.events = events;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException, DropConnectionException {
            if (!session.isMailTransactionInProgress()) {
                session.sendResponse("503 5.5.1 Error: need MAIL command");
                return;
            }
            if (session.getRecipientCount() >= settings.maxRecipients()) {
                session.sendResponse("452 4.5.3 Too many recipients: at most " + settings.maxRecipients()
                        + " per message, send the rest in another transaction");
                return;
            }
            String refused = refuseCharacters(commandString, "recipient address or its parameters");
            if (refused != null) {
                report(events, session, refused);
                session.sendResponse(refused);
                return;
            }
            Path path = Path.parse(commandString.substring(4), "TO:");
            if (path == null || path.address.isEmpty()) {
                session.sendResponse("501 5.5.4 Syntax: RCPT TO:<address> [NOTIFY=...] [ORCPT=...]");
                return;
            }
            if (!ADDRESS.matcher(path.address).matches()) {
                session.sendResponse("553 5.1.3 Invalid recipient address <" + path.address + ">");
                return;
            }
            String notify = null;
            String orcpt = null;
            for (String param : path.params) {
                int eq = param.indexOf('=');
                String key = (eq < 0 ? param : param.substring(0, eq)).toUpperCase(Locale.ROOT);
                String value = eq < 0 ? "" : param.substring(eq + 1);
                switch (key) {
                    case "NOTIFY" -> {
                        if (!validNotify(value)) {
                            session.sendResponse("501 5.5.4 NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
                            return;
                        }
                        notify = value.toUpperCase(Locale.ROOT);
                    }
                    case "ORCPT" -> {
                        if (!value.contains(";") || value.length() > 500) {
                            session.sendResponse("501 5.5.4 ORCPT must be addr-type;address");
                            return;
                        }
                        orcpt = value;
                    }
                    default -> {
                        session.sendResponse("555 5.5.4 RCPT parameter " + key + " is not supported");
                        return;
                    }
                }
            }
            String overLimit = handler(session).overRecipientRate();
            if (overLimit != null) {
                throw new DropConnectionException(421, overLimit.substring(4));
            }
            try {
                handler(session).rcptTo(path.address, notify, orcpt);
            } catch (RejectException e) {
                session.sendResponse(e.getErrorResponse());
                return;
            }
            session.addRecipient(path.address);
            session.sendResponse("250 2.1.5 Ok");
        }

        private static boolean validNotify(String value) {
            String upper = value.toUpperCase(Locale.ROOT);
            if (upper.equals("NEVER")) {
                return true;
            }
            for (String v : upper.split(",", -1)) {
                if (!NOTIFY_VALUES.contains(v)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Data extends BaseCommand {
        private final SmtpSettings settings;

        Data(SmtpSettings settings) {
            super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
            this.settings = settings;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException, DropConnectionException {
            if (!session.isMailTransactionInProgress()) {
                session.sendResponse("503 5.5.1 Error: need MAIL command");
                return;
            }
            if (session.getRecipientCount() == 0) {
                session.sendResponse("554 5.5.1 Error: no valid recipients");
                return;
            }
            if (session.getRawInput().available() > 0) {
                // the client sent more before the 354 (RFC 2920: DATA ends a pipelined group)
                String reply = "554 5.5.0 Error: improper use of SMTP command pipelining: data sent before the 354 reply";
                handler(session).refusedCommand(reply);
                throw new DropConnectionException(554, reply.substring(4));
            }
            session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
            handler(session).dataStarted();
            StrictDataInputStream data = new StrictDataInputStream(session.getRawInput(), settings.maxMessageSize(),
                    settings.maxLineLength(), settings.maxHeaderSize(), settings.bareNewline());
            String reply;
            try {
                String id = handler(session).data(data);
                reply = "250 2.0.0 Ok: queued as " + id;
            } catch (StrictDataInputStream.BareLineEndingException e) {
                handler(session).refusedData(e.getMessage());
                throw new DropConnectionException(521, e.getMessage().substring(4));
            } catch (StrictDataInputStream.ClientReadException e) {
                if (e.getCause() instanceof SocketTimeoutException) {
                    String timeout = "421 4.4.2 " + settings.hostName() + " Error: timeout exceeded while receiving the message data";
                    handler(session).refusedData(timeout);
                    throw new DropConnectionException(421, timeout.substring(4));
                }
                throw e;
            } catch (StrictDataInputStream.RefusedDataException e) {
                drain(data);
                if (!(e instanceof StrictDataInputStream.LimitExceededException)) {
                    handler(session).refusedData(e.reply());
                }
                reply = e.reply();
            } catch (RejectException e) {
                drain(data);
                reply = e.getErrorResponse();
            }
            session.resetMailTransaction();
            session.sendResponse(reply);
        }

        private static void drain(StrictDataInputStream data) throws IOException, DropConnectionException {
            try {
                data.drain();
            } catch (StrictDataInputStream.BareLineEndingException e) {
                throw new DropConnectionException(521, e.getMessage().substring(4));
            }
        }
    }

    private static final class Bdat extends BaseCommand {
        Bdat() {
            super("BDAT", "Not offered: use DATA.");
        }

        @Override
        public void execute(String commandString, Session session) throws IOException {
            session.sendResponse("502 5.5.1 BDAT (CHUNKING) is not offered by this server: use DATA");
        }
    }

    private static final class StartTls extends BaseCommand {
        private final TlsSetup tls;

        StartTls(TlsSetup tls) {
            super("STARTTLS", "Starts TLS.");
            this.tls = tls;
        }

        @Override
        public void execute(String commandString, Session session) throws IOException {
            if (!commandString.trim().equalsIgnoreCase("STARTTLS")) {
                session.sendResponse("501 5.5.4 Syntax error (no parameters allowed)");
                return;
            }
            if (tls == null) {
                session.sendResponse("454 4.7.0 TLS not available: no certificate configured");
                return;
            }
            if (session.isTLSStarted()) {
                session.sendResponse("454 4.7.0 TLS already active");
                return;
            }
            session.sendResponse("220 2.0.0 Ready to start TLS");
            InetSocketAddress peer = (InetSocketAddress) session.getSocket().getRemoteSocketAddress();
            SSLSocket secured;
            try {
                secured = tls.serverSocket(session.getSocket());
                secured.startHandshake();
            } catch (SSLException e) {
                tls.handshakeFailed(peer, e);
                session.quit();
                session.getSocket().close();
                return;
            }
            session.setSocket(secured);
            session.resetSmtpProtocol();
            session.setTlsStarted(true);
        }
    }

    /** The address and parameters of a MAIL FROM or RCPT TO argument. */
    private record Path(String address, List<String> params) {
        static Path parse(String argument, String keyword) {
            String rest = argument.trim();
            if (!rest.toUpperCase(Locale.ROOT).startsWith(keyword)) {
                return null;
            }
            rest = rest.substring(keyword.length()).trim();
            if (!rest.startsWith("<")) {
                return null;
            }
            int close = rest.indexOf('>');
            if (close < 0) {
                return null;
            }
            String address = rest.substring(1, close).trim();
            int colon = address.indexOf(':');
            if (address.startsWith("@") && colon > 0) {
                address = address.substring(colon + 1);
            }
            List<String> params = new ArrayList<>();
            for (String p : rest.substring(close + 1).trim().split("\\s+")) {
                if (!p.isEmpty()) {
                    params.add(p);
                }
            }
            return new Path(address, params);
        }
    }
}
