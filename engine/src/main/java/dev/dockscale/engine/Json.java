package dev.dockscale.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.dockscale.policy.Decision;
import java.io.IOException;

/**
 * The one JSON form of dockscale's records, for the decision journal and the API alike: instants as
 * ISO-8601 text, metrics by their config key ({@code cpu}), actions by their key ({@code scale-up},
 * the one spelling of the API, its events and its metrics; {@code SCALE_UP}, as journals of earlier
 * versions wrote it, still reads).
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(actions())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
          .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  private static SimpleModule actions() {
    SimpleModule m = new SimpleModule("dockscale-actions");
    m.addSerializer(
        Decision.Action.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Decision.Action a, JsonGenerator g, SerializerProvider p)
              throws IOException {
            g.writeString(a.key());
          }
        });
    m.addDeserializer(
        Decision.Action.class,
        new JsonDeserializer<>() {
          @Override
          public Decision.Action deserialize(JsonParser p, DeserializationContext c)
              throws IOException {
            String text = p.getValueAsString();
            for (Decision.Action a : Decision.Action.values()) {
              if (a.key().equals(text) || a.name().equals(text)) {
                return a;
              }
            }
            return (Decision.Action)
                c.handleWeirdStringValue(
                    Decision.Action.class, text, "not scale-up, scale-down or hold");
          }
        });
    return m;
  }

  /** Shared and thread-safe; not to be reconfigured. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
