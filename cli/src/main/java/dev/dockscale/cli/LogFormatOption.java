package dev.dockscale.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json}, for the commands that log: {@code json} writes one object per
 * line (logback's {@link JsonEncoder}: timestamp, level, logger, message, MDC) for log shippers.
 */
final class LogFormatOption {

  enum Format {
    text,
    json
  }

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description =
          "text (for people, the default) or json (one object per line: timestamp, level, loggerName, message, mdc with the service; for log shippers)")
  Format format;

  /** Switches the log's appenders to the chosen format; call before the command logs anything. */
  void apply() {
    if (format == Format.json) {
      json((LoggerContext) LoggerFactory.getILoggerFactory());
    }
  }

  /** Every appender of {@code context} that writes a stream (console, file) writes JSON lines. */
  static void json(LoggerContext context) {
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
          JsonEncoder encoder = new JsonEncoder();
          encoder.setContext(context);
          encoder.setWithFormattedMessage(true);
          encoder.setWithMessage(false);
          encoder.setWithArguments(false);
          encoder.setWithContext(false);
          encoder.setWithSequenceNumber(false);
          encoder.setWithNanoseconds(false);
          encoder.start();
          appender.stop();
          appender.setEncoder(encoder);
          appender.start();
        }
      }
    }
  }
}
