package io.weir;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of CONVENTIONS.md: a pure core, RocksDB behind state.rocksdb, app on top. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.weir");
  }

  @Test
  void coreDoesNotDependOnVertx() {
    noClasses()
        .that()
        .resideInAnyPackage("io.weir.event..", "io.weir.window..", "io.weir.watermark..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx..", "org.rocksdb..")
        .check(classes);
  }

  @Test
  void onlyStateRocksdbUsesRocksdb() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.weir.state.rocksdb..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .check(classes);
  }

  @Test
  void nothingDependsOnApp() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.weir.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.weir.app..")
        .check(classes);
  }
}
