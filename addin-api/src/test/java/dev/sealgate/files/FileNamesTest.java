package dev.sealgate.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void shouldDropDirectoryPartsOfBothKinds() {
        assertThat(FileNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitise("..\\..\\windows\\system32\\config")).isEqualTo("config");
        assertThat(FileNames.sanitise("/absolute/path/report.pdf")).isEqualTo("report.pdf");
    }

    @Test
    void shouldNeverReturnDotsOrNothing() {
        assertThat(FileNames.sanitise("..")).isEqualTo("file");
        assertThat(FileNames.sanitise("")).isEqualTo("file");
        assertThat(FileNames.sanitise(null)).isEqualTo("file");
        assertThat(FileNames.sanitise("dir/")).isEqualTo("file");
        assertThat(FileNames.sanitise(".hidden")).isEqualTo("hidden");
    }

    @Test
    void shouldReplaceControlAndFormatCharacters() {
        assertThat(FileNames.sanitise("a\u0000b\r\nc\u007f.txt")).isEqualTo("a_b__c_.txt");
        // right-to-left override would show "exe.pdf" as "fdp.exe"
        assertThat(FileNames.sanitise("invoice\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
        assertThat(FileNames.sanitise("a<b>c:d\"e|f?g*h.txt")).isEqualTo("a_b_c_d_e_f_g_h.txt");
    }

    @Test
    void shouldCapLongNamesKeepingTheExtension() {
        String sanitised = FileNames.sanitise("x".repeat(1000) + ".pdf");
        assertThat(sanitised).hasSize(255).endsWith("xxx.pdf");
        String umlauts = FileNames.sanitise("ä".repeat(300));
        assertThat(umlauts.codePointCount(0, umlauts.length())).isEqualTo(255);
    }

    @Test
    void shouldKeepOrdinaryNamesUnchanged() {
        assertThat(FileNames.sanitise("Angebot 2026 (final) – Müller.pdf")).isEqualTo("Angebot 2026 (final) – Müller.pdf");
    }
}
