package io.weir.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void validateTakesACheckpointDirectoryToCheckAgainst() {
    CommandLine cli = CommandLine.parse(new String[] {"validate", "--config", "new.yaml", "--against-checkpoint", "data/checkpoints"});

    assertThat(cli.validate()).isTrue();
    assertThat(cli.configFile()).isEqualTo(Path.of("new.yaml"));
    assertThat(cli.againstCheckpoint()).isEqualTo(Path.of("data/checkpoints"));
  }

  @Test
  void theEqualsFormWorksInAnyOrder() {
    CommandLine cli = CommandLine.parse(new String[] {"--against-checkpoint=data/checkpoints/chk-12", "validate"});

    assertThat(cli.againstCheckpoint()).isEqualTo(Path.of("data/checkpoints/chk-12"));
  }

  @Test
  void withoutTheOptionThereIsNoCheckpointToCheck() {
    assertThat(CommandLine.parse(new String[] {"validate"}).againstCheckpoint()).isNull();
  }

  @Test
  void againstCheckpointWithoutValidateIsAUsageError() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"--against-checkpoint", "data/checkpoints"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--against-checkpoint only works with validate");
  }

  @Test
  void againstCheckpointWithoutAValueIsAUsageError() {
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"validate", "--against-checkpoint"}))
        .hasMessage("--against-checkpoint needs a value");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"validate", "--against-checkpoint", "--config", "x.yaml"}))
        .hasMessage("--against-checkpoint needs a value");
    assertThatThrownBy(() -> CommandLine.parse(new String[] {"validate", "--against-checkpoint="}))
        .hasMessage("--against-checkpoint needs a value");
  }
}
