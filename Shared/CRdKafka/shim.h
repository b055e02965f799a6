// The one C header the Kafka module sees: librdkafka from Debian's librdkafka-dev.
#include <librdkafka/rdkafka.h>
