package dev.dockscale.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A docker-java stream callback that can be closed at any time. docker-java's own {@code close()}
 * does nothing before the stream has started ({@code onStart}), so a stream closed that early would
 * run on and hold a thread and a pooled connection; this one closes it as soon as it starts.
 */
public abstract class StreamCallback<T> extends ResultCallback.Adapter<T> {

  private static final Logger LOG = LoggerFactory.getLogger(StreamCallback.class);
  private volatile boolean closeRequested;

  @Override
  public void onStart(Closeable stream) {
    super.onStart(stream);
    if (closeRequested) {
      closeQuietly();
    }
  }

  @Override
  public void close() {
    closeRequested = true;
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      super.close();
    } catch (IOException e) {
      LOG.debug("closing a stream: {}", e.toString());
    }
  }
}
